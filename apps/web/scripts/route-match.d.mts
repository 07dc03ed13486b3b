export function routeMatcher(patterns: string[]): (pathname: string) => string | null;
