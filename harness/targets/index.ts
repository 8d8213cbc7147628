export { checkAnswer } from './answer-shape.js';
export { boundedWait } from './bounded-wait.js';
// Extraction rules are data of the spec layer; re-exported for target authors.
export { extractParent } from '../spec/index.js';
export { InProcessTarget } from './in-process-target.js';
export { LineSplitter } from './line-splitter.js';
export {
  PROTOCOL_VERSION,
  decodeHelloReply,
  decodeHelloRequest,
  decodeRequest,
  decodeResponse,
  encodeHello,
  encodeRequest,
  encodeResponse,
} from './protocol.js';
export { serveTarget } from './serve-target.js';
export { resolveTimeouts } from './started-target.js';
export { SubprocessTarget } from './subprocess-target.js';
export { targetFailure } from './target-failure.js';
export { describeRequest } from './target-request.js';
export { MAX_GENERATE_COUNT, TargetSession } from './target-session.js';
export { WorkerThreadTarget } from './worker-thread-target.js';
export { packStrings, unpackStrings } from './worker-string-pack.js';

export type { CheckedAnswer } from './answer-shape.js';
export type { BoundedResult } from './bounded-wait.js';
export type { ExtractionRule, ReplacePrefixExtractionRule, SpecExtractionRule, TokensExtractionRule } from '../spec/index.js';
export type { InProcessTargetOptions } from './in-process-target.js';
export type { LineSplitterOptions } from './line-splitter.js';
export type { Decoded, HelloReply, HelloRequest, RequestMessage, ResponseMessage } from './protocol.js';
export type { ServeTargetOptions } from './serve-target.js';
export type { StartedTarget, StoppedTarget, TargetCapabilities, TargetOutcome, TargetTimeouts } from './started-target.js';
export type { SubprocessTargetOptions } from './subprocess-target.js';
export type { GenerateContext, Target, TargetFactory, TargetFactoryOptions, TargetIdView, UserContext } from './target.js';
export type { TargetFailureInit, TargetFailureRule } from './target-failure.js';
export type { TargetCall, TargetRequest } from './target-request.js';
export type { TargetSessionInit } from './target-session.js';
export type { TargetTransport, TransportReply } from './target-transport.js';
export type { WorkerThreadTargetOptions } from './worker-thread-target.js';
export type { PackedStrings } from './worker-string-pack.js';
export { readJsonPath } from './service-json-path.js';
export { ServiceSocket } from './service-socket.js';
export { DEFAULT_SERVICE_PATH, defineService, validateServiceSpec } from './service-spec.js';
export { ServiceState } from './service-state.js';
export { ServiceTarget, StartedServiceTarget } from './service-target.js';
export type { DisconnectWindow, SeenId, ServiceObservations, StepFailure, StepTiming, UserPath } from './service-observations.js';
export type { ReceivedEvent, SocketClose, SocketWaitFailure } from './service-socket.js';
export type { ServiceStateSpec, ServiceSpec, ServiceStep, ServiceTimeouts } from './service-spec.js';
export type { StateKeyRef } from './service-state.js';
