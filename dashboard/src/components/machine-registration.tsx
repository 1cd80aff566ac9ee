import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Space } from 'antd';
import { useState } from 'react';
import { useAuth } from '../auth.tsx';
import { useI18n } from '../i18n.tsx';
import { canWrite, isBureau } from '../roles.ts';
import { ImportMachinesModal } from './machine-import.tsx';
import { RegisterMachineModal } from './machine-register-form.tsx';

/**
 * The machine list's toolbar buttons for PCs without agents: register one, import a list. Shown to
 * admins only (the server's writeAccess); a unit admin works in its own unit, bureau roles pick one.
 */
export function MachineRegistration({ onChanged }: { onChanged: () => void }) {
  const { user } = useAuth();
  if (!user || !canWrite(user.role)) return null;
  return <RegistrationButtons ownUnitId={isBureau(user.role) ? undefined : user.org.id} onChanged={onChanged} />;
}

function RegistrationButtons({ ownUnitId, onChanged }: { ownUnitId: string | undefined; onChanged: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [open, setOpen] = useState<'register' | 'import' | undefined>(undefined);
  return (
    <Space>
      <Button icon={<PlusOutlined />} onClick={() => setOpen('register')} data-testid="machine-register-open">
        {t('mreg.register')}
      </Button>
      <Button icon={<UploadOutlined />} onClick={() => setOpen('import')} data-testid="machine-import-open">
        {t('mreg.import')}
      </Button>
      <RegisterMachineModal
        open={open === 'register'}
        ownUnitId={ownUnitId}
        onClose={(name) => {
          setOpen(undefined);
          if (name) {
            message.success(t('mreg.saved', { name }));
            onChanged();
          }
        }}
      />
      <ImportMachinesModal
        open={open === 'import'}
        ownUnitId={ownUnitId}
        onClose={(n) => {
          setOpen(undefined);
          if (n > 0) {
            message.success(t('mreg.imported', { n }));
            onChanged();
          }
        }}
      />
    </Space>
  );
}
