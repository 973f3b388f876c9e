// Runs for three seconds: past the one-second timeout the isolation workflow gives it.
export async function handler(): Promise<{ finished: true }> {
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  return { finished: true };
}
