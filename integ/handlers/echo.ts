// Returns what it was given, so an integ test can assert the round trip through the function.
export const handler = async (event: unknown): Promise<{ echoed: unknown }> => ({ echoed: event });
