import { useParams } from 'react-router';
import { useAuth } from '../auth.tsx';
import { isBureau } from '../roles.ts';
import { RollupView } from './annual-return-rollup.tsx';
import { UnitReturnView } from './annual-return-unit.tsx';

/** 年度报表: a bureau sees the roll-up of its units; a unit (or inspector) its own return. */
export function AnnualReturnPage() {
  const { user } = useAuth();
  if (isBureau(user!.role)) return <RollupView />;
  return <UnitReturnView orgId={user!.org.id} />;
}

/** One unit's return reached from the roll-up (the server answers 404 for a unit out of scope). */
export function AnnualReturnUnitPage() {
  const { orgId = '' } = useParams();
  const { user } = useAuth();
  return <UnitReturnView orgId={orgId} backToRollup={isBureau(user!.role)} />;
}
