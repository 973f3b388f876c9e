// Needs FORMATION_STATE_MACHINE_ARN, which the admin API's function has and this one is not given.
export async function handler(): Promise<{ formation: string }> {
  const formation = process.env.FORMATION_STATE_MACHINE_ARN;
  if (formation === undefined) {
    const error = new Error(`${process.env.AWS_LAMBDA_FUNCTION_NAME} has no FORMATION_STATE_MACHINE_ARN`);
    error.name = "MissingVariableError";
    throw error;
  }
  return { formation };
}
