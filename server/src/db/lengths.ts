import { z } from 'zod';
import {
  AgentHello,
  Hardware,
  MAX_HOSTNAME_LENGTH,
  MAX_ID_LENGTH,
  MAX_NAME_LENGTH,
  MAX_PUBLISHER_LENGTH,
  MAX_VERSION_LENGTH,
  OperatingSystem,
  SOFTWARE_SOURCES,
  Software,
  Activation,
} from '@zhengban/protocol';

/** The `.max()` of a (possibly optional) zod string schema; throws when it has none. */
function maxLengthOf(schema: z.ZodType): number {
  let inner: z.ZodType = schema;
  while (inner instanceof z.ZodOptional) inner = inner.unwrap() as z.ZodType;
  if (inner instanceof z.ZodString && typeof inner.maxLength === 'number') return inner.maxLength;
  throw new Error('column length: schema has no maximum length');
}

const sourceLength = Math.max(...SOFTWARE_SOURCES.map((s) => s.length));
const hiveLength = maxLengthOf(Software.shape.hive);

/**
 * Column lengths of everything an agent reports, read from the wire schemas themselves so that a
 * value the protocol accepts always fits its column (STYLE 8). Named constants come from
 * protocol/src/limits.ts; the rest are the literal limits of the protocol's schemas.
 */
export const COLUMN_LENGTH = {
  hostname: MAX_HOSTNAME_LENGTH,
  agentVersion: maxLengthOf(AgentHello.shape.agentVersion),
  platform: 16,
  sha256Hex: 64,
  /** An IPv6 address in text with an IPv4 tail (45 characters) is the longest a socket reports. */
  ipAddress: 45,
  hardwareUuid: maxLengthOf(Hardware.shape.uuid),
  hardwareSerial: maxLengthOf(Hardware.shape.serial),
  hardwareVendor: maxLengthOf(Hardware.shape.vendor),
  hardwareModel: maxLengthOf(Hardware.shape.model),
  osMachineId: maxLengthOf(Hardware.shape.machineId),
  mac: maxLengthOf(Hardware.shape.macs.element),
  osFamily: 32,
  osProduct: maxLengthOf(OperatingSystem.shape.product),
  osEdition: maxLengthOf(OperatingSystem.shape.edition),
  osVersion: maxLengthOf(OperatingSystem.shape.version),
  osBuild: maxLengthOf(OperatingSystem.shape.build),
  osArch: maxLengthOf(OperatingSystem.shape.arch),
  osKernel: maxLengthOf(OperatingSystem.shape.kernel),
  activationValue: 32,
  kmsHost: maxLengthOf(Activation.shape.kmsHost),
  activationExpires: maxLengthOf(Activation.shape.expires),
  softwareId: MAX_ID_LENGTH,
  softwareName: MAX_NAME_LENGTH,
  softwareVersion: MAX_VERSION_LENGTH,
  softwarePublisher: MAX_PUBLISHER_LENGTH,
  /** YYYY-MM-DD, kept as text: the protocol checks the shape, not the calendar. */
  softwareInstallDate: 10,
  softwareSource: sourceLength,
  softwareHive: hiveLength,
  softwareArch: maxLengthOf(Software.shape.arch),
  /** softwareKey() = `${source}|${hive}|${id}`. */
  softwareKey: sourceLength + 1 + hiveLength + 1 + MAX_ID_LENGTH,
} as const;
