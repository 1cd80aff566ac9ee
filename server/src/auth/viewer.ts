import type { USER_ROLES } from '../db/schema.ts';

export type UserRole = (typeof USER_ROLES)[number];

/** The signed-in person behind a request, with what scoping needs. */
export interface Viewer {
  userId: string;
  username: string;
  role: UserRole;
  orgId: string;
  /** Materialised path of the viewer's org: everything under it is theirs to see. */
  orgPath: string;
  mustChangePassword: boolean;
}
