import { type ParsedFrame, parseFrame } from './envelope.ts';
import { AgentMessage } from './messages.ts';
import { AGENT_MESSAGE_TYPES } from './names.ts';

/** Server side: read a frame an agent sent. */
export function parseAgentFrame(text: string): ParsedFrame<AgentMessage> {
  return parseFrame(text, AgentMessage, AGENT_MESSAGE_TYPES);
}
