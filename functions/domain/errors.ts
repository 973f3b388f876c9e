/** A date argument could not be read as a date. */
export class InvalidDateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidDateError";
  }
}

/** A vote tally was asked to count something that cannot be counted (unknown voter, no partners). */
export class TallyInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TallyInputError";
  }
}
