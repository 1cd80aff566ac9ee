import type { Hardware } from '@zhengban/protocol';
import { writeCredentials } from '../../state/credentials.ts';
import { EnrollError, enrollAgent } from '../../transport/enroll.ts';
import { AGENT_VERSION } from '../../version.ts';
import type { ConfigOf } from '../config.ts';
import { CliError, EXIT } from '../errors.ts';
import type { Output } from '../output.ts';
import { scanInventory } from '../scan-source.ts';

/** `enroll --server URL --token TOKEN`: trade the token for credentials and save them. */
export async function enrollCommand(config: ConfigOf<'enroll'>, out: Output): Promise<number> {
  // The server places the machine by its hardware identity at once; a failed capture only costs that.
  let hardware: Hardware | undefined;
  let hostname = config.hostname;
  try {
    const { inventory } = await scanInventory({ platform: config.platform === 'windows' ? 'win32' : 'linux' });
    hardware = inventory.hardware;
    hostname = inventory.hostname;
  } catch (err) {
    out.stderr.write(`warning: enrolling without hardware identity (${(err as Error).message})\n`);
  }
  let response;
  try {
    response = await enrollAgent(config.server, {
      token: config.token,
      hostname,
      platform: config.platform,
      agentVersion: AGENT_VERSION,
      ...(hardware ? { hardware } : {}),
    });
  } catch (err) {
    if (err instanceof EnrollError) throw new CliError(err.message, err.kind === 'rejected' ? EXIT.refused : EXIT.unreachable, { cause: err });
    throw err;
  }
  if (config.credentials) out.stderr.write(`replacing the earlier enrolment (agent ${config.credentials.agentId} at ${config.credentials.serverUrl})\n`);
  await writeCredentials(config.stateDir, {
    serverUrl: config.server,
    agentId: response.agentId,
    secret: response.secret,
    ...(response.unitId ? { unitId: response.unitId } : {}),
    enrolledAt: new Date().toISOString(),
  });
  out.stdout.write(`enrolled with ${config.server} as agent ${response.agentId}; credentials saved in ${config.stateDir}\nstart reporting with: zhengban-agent run\n`);
  return EXIT.ok;
}
