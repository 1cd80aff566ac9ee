/** Transport: the socket to the server, backoff with jitter, the durable outbox, enrolment. */
export { AgentTransport, type AgentTransportOptions, type TransportEvent } from './connection.ts';
export { Backoff, DEFAULT_BACKOFF, backoffCeilingMs, backoffDelayMs, type BackoffPolicy } from './backoff.ts';
export { deliverOutboxOnce, type DeliveryResult } from './deliver-once.ts';
export { EnrollError, enrollAgent } from './enroll.ts';
export { type Logger, silentLogger } from './logger.ts';
export { Outbox, type OutboxEntry } from './outbox.ts';
export { countStoredReports } from './outbox-files.ts';
export { agentSocketUrl, enrollUrl, normaliseServerUrl } from './server-url.ts';
