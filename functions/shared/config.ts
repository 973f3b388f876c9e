import * as z from "zod";

const ConfigSchema = z.object({
  TABLE_NAME: z.string().min(1, "TABLE_NAME must name the Concord table"),
  MAIL_FROM: z.email("MAIL_FROM must be the sender email address"),
  ADMIN_EMAIL: z.email("ADMIN_EMAIL must be the admin's email address").optional(),
  APP_URL: z
    .url("APP_URL must be the absolute base URL of the app")
    .transform((url) => url.replace(/\/+$/, "")),
  FORMATION_STATE_MACHINE_ARN: z.string().optional(),
  REALIGNMENT_STATE_MACHINE_ARN: z.string().optional(),
  CHECK_IN_STATE_MACHINE_ARN: z.string().optional(),
  EXIT_STATE_MACHINE_ARN: z.string().optional(),
  ESCALATION_STATE_MACHINE_ARN: z.string().optional(),
});

/** Lambda configuration, read from the environment the stack sets (see ConcordFunction's bind helpers). */
export type Config = z.infer<typeof ConfigSchema>;

let cached: Config | undefined;

/** Parses the environment once; a missing or malformed variable fails with its name. */
export function config(): Config {
  if (!cached) {
    const parsed = ConfigSchema.safeParse(process.env);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
      throw new Error(`Concord configuration is incomplete: ${problems.join("; ")}`);
    }
    cached = parsed.data;
  }
  return cached;
}

/** Forgets the parsed configuration (tests and the local cloud change the environment). */
export function resetConfig(): void {
  cached = undefined;
}

/** The admin's address (ADMIN_EMAIL), for the functions that tell the admin something; its absence is an error. */
export function adminEmail(): string {
  const admin = config().ADMIN_EMAIL;
  if (!admin) throw new Error("ADMIN_EMAIL is not configured: the admin cannot be told");
  return admin;
}
