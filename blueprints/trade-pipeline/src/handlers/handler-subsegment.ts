import type { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * Runs `handle` on a `## <handler>` subsegment, as Powertools' captureLambdaHandler does: Lambda's facade segment takes
 * no annotations, so the handler's annotations, response and error go on a subsegment of its own.
 */
export async function onHandlerSubsegment<T>(tracer: Tracer, handle: () => Promise<T>): Promise<T> {
  if (!tracer.isTracingEnabled()) return handle();
  const facade = tracer.getSegment();
  const subsegment = facade?.addNewSubsegment(`## ${process.env._HANDLER}`);
  if (subsegment) tracer.setSegment(subsegment);
  tracer.annotateColdStart();
  tracer.addServiceNameAnnotation();
  try {
    const result = await handle();
    tracer.addResponseAsMetadata(result, process.env._HANDLER);
    return result;
  } catch (error) {
    tracer.addErrorAsMetadata(error as Error);
    throw error;
  } finally {
    subsegment?.close();
    if (facade) tracer.setSegment(facade);
  }
}
