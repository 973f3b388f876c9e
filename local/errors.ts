/** A problem starting the local cloud that a person can fix; main prints its message alone, no stack. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StartupError";
  }
}
