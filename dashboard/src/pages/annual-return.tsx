import { useParams } from 'react-router';
import { useAuth } from '../auth.tsx';
import type { Role } from '../types.ts';
import { RollupView } from './annual-return-rollup.tsx';
import { UnitReturnView } from './annual-return-unit.tsx';

/** Unit staff work on their own unit's return; bureaus and inspectors look across the units in their scope. */
const isUnitRole = (role: Role) => role === 'unit-admin' || role === 'unit-viewer';

/** 年度报表: a unit sees its own return; a bureau (or an inspector) the roll-up of its units. */
export function AnnualReturnPage() {
  const { user } = useAuth();
  if (isUnitRole(user!.role)) return <UnitReturnView orgId={user!.org.id} />;
  return <RollupView />;
}

/** One unit's return reached from the roll-up (the server answers 404 for a unit out of scope). */
export function AnnualReturnUnitPage() {
  const { orgId = '' } = useParams();
  const { user } = useAuth();
  return <UnitReturnView orgId={orgId} backToRollup={!isUnitRole(user!.role)} />;
}
