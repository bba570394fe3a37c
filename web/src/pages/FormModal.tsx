import type { ReactNode } from 'react';
import { Alert, Form, Modal } from 'antd';
import type { ButtonProps, FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api';

/**
 * A modal holding a form that one mutation submits: OK submits the form, the mutation's failure
 * shows above the fields (cleared when the form is submitted again), OK spins while it runs.
 * `intro` stands above the error; `children` are the form's items.
 */
export function FormModal<V extends object>({
  form,
  mutation,
  title,
  okText,
  okTestId,
  okDanger,
  errorTestId,
  width,
  onClose,
  initialValues,
  intro,
  gap = true,
  open = true,
  destroyOnHidden,
  preserve,
  children,
}: {
  form: FormInstance<V>;
  mutation: { mutate: (v: V) => void; isPending: boolean; isError: boolean; error: unknown };
  title: ReactNode;
  okText: string;
  okTestId: string;
  okDanger?: boolean;
  errorTestId: string;
  width: number;
  onClose: () => void;
  initialValues?: Partial<V>;
  intro?: ReactNode;
  /** a margin above the form */
  gap?: boolean;
  open?: boolean;
  destroyOnHidden?: boolean;
  preserve?: boolean;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={okText}
      cancelText={t('pages.common.cancel')}
      okButtonProps={{ loading: mutation.isPending, ...(okDanger !== undefined ? { danger: okDanger } : {}), 'data-testid': okTestId } as ButtonProps}
      destroyOnHidden={destroyOnHidden}
      width={width}
    >
      {intro}
      {mutation.isError && (
        <Alert type="error" showIcon role="alert" title={errorMessage(mutation.error)} style={{ marginBottom: 16 }} data-testid={errorTestId} />
      )}
      <Form<V>
        form={form}
        layout="vertical"
        style={gap ? { marginTop: 16 } : undefined}
        preserve={preserve}
        initialValues={initialValues}
        onFinish={(v) => mutation.mutate(v)}
      >
        {children}
      </Form>
    </Modal>
  );
}
