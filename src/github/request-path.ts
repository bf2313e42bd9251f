/** A request URL without its origin and query: "https://api.github.com/graphql?x" → "/graphql". */
export function requestPath(url: string): string {
  return url.replace(/^https?:\/\/[^/]+/, "").replace(/\?.*$/, "");
}
