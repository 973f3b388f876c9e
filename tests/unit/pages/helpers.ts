/** The <form> elements of a page, each as its markup. */
export function formsIn(page: string): string[] {
  return [...page.matchAll(/<form\b[\s\S]*?<\/form>/g)].map((match) => match[0]);
}

/** The value of a named hidden input in a form, or undefined. */
export function hiddenValue(form: string, name: string): string | undefined {
  const input = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`).exec(form);
  return input?.[1];
}
