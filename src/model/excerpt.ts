/**
 * Bounded quotations of input strings in messages (docs/limits.md#messages). A name in a
 * configuration file can be megabytes long and be quoted in hundreds of findings; a list of names can
 * hold thousands. Every message that interpolates a string from the input goes through these, so a
 * message is bounded by the template, not by the input.
 */

/** Characters of one input string quoted in a message, at most (a host name has at most 253). */
export const EXCERPT_CHARS = 120;

/** Items of a list of input strings quoted in a message, at most. */
export const LIST_ITEMS = 5;

/** The text itself when short; else its start, "…" and its length ("aaaa… (3,900,000 characters)"), `max` characters in all. */
export function excerpt(text: string, max = EXCERPT_CHARS): string {
  if (text.length <= max) return text;
  const note = `… (${text.length.toLocaleString("en-US")} characters)`;
  let cut = Math.max(1, max - note.length);
  // Never split a surrogate pair.
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return `${text.slice(0, cut)}${note}`;
}

/** An excerpt in double quotes: `"name"`. */
export function quote(text: string, max = EXCERPT_CHARS): string {
  return `"${excerpt(text, max)}"`;
}

/**
 * The first `max` items (each an excerpt), then how many more: "a, b, c, d, e and 97 more".
 * `format` renders one item (default: its excerpt).
 */
export function listed<T>(items: readonly T[], format: (item: T) => string = (item) => excerpt(String(item)), max = LIST_ITEMS): string {
  const shown = items.slice(0, max).map(format).join(", ");
  return items.length > max ? `${shown} and ${(items.length - max).toLocaleString("en-US")} more` : shown;
}

/** The first `max` items of a list kept in a finding's details (the count goes beside it). */
export function firstItems<T>(items: readonly T[], max = 20): T[] {
  return items.length > max ? items.slice(0, max) : [...items];
}

/** Characters of one message, at most: a safety net under the excerpts, for templates that quote input raw. */
export const MESSAGE_CHARS = 4_000;

/**
 * The message itself when it fits; else its start and its end (where the advice is) around a note
 * of how much was left out.
 */
export function boundMessage(message: string, max = MESSAGE_CHARS): string {
  if (message.length <= max) return message;
  const tail = Math.floor(max / 4);
  const head = max - tail;
  const note = ` (${(message.length - head - tail).toLocaleString("en-US")} characters left out) …`;
  let cut = head - note.length - 1;
  const code = message.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return `${message.slice(0, cut)}…${note}${message.slice(-tail)}`;
}
