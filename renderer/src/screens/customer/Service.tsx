// 服务记录: visits and notes, newest first, with a quick "record a visit" and "add a note" for a
// role that may (notes are append-only: added, never changed).
import { Alert, Button, Form, Input, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Customer } from '../../../../shared/customer';
import { formatDateTime } from '../../format';
import { useCan } from '../../permissions';
import { useDesk } from '../../store';
import { EditorButtons, editorKeys, VisitRecorder } from '../Editors';
import type { EditingProps } from './Editable';
import { useEntrySave } from './save';

export function ServiceTab({ customer, editing, setEditing }: EditingProps) {
  const { t } = useTranslation();
  const can = useCan();
  const close = () => setEditing(undefined);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {can('edit_contacts') && !editing && (
        <Space>
          <Button size="small" onClick={() => setEditing('visit')} data-testid="record-visit">
            {t('visit.record')}
          </Button>
          <Button size="small" onClick={() => setEditing('note')} data-testid="add-note">
            {t('customer360.addNote')}
          </Button>
        </Space>
      )}
      {editing === 'visit' && <VisitRecorder customerId={customer.id} onDone={close} />}
      {editing === 'note' && <NoteEditor customerId={customer.id} onDone={close} />}
      <Timeline customer={customer} />
    </Space>
  );
}

function NoteEditor({ customerId, onDone }: { customerId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const [text, setText] = useState('');
  // One id for this note however often the save is retried: the core records it once.
  const [noteId] = useState(() => crypto.randomUUID());
  const saver = useEntrySave(customerId);
  const submit = () => {
    if (!text.trim()) return;
    void saver
      .run(() => bridge.call('customer.add_note', { id: customerId, noteId, text: text.trim() }))
      .then((saved) => saved && onDone());
  };
  return (
    <Form layout="vertical" onFinish={submit} onKeyDown={editorKeys(submit, onDone)}>
      <Form.Item label={t('customer360.noteText')} htmlFor="note-text">
        <Input.TextArea
          id="note-text"
          autoFocus
          value={text}
          maxLength={2000}
          rows={3}
          onChange={(event) => setText(event.target.value)}
          data-testid="note-text"
        />
      </Form.Item>
      <Typography.Paragraph type="secondary">
        {t('customer360.noteAppendOnly')}
      </Typography.Paragraph>
      {saver.failure && (
        <Alert type="error" showIcon title={saver.failure} style={{ marginBottom: 12 }} />
      )}
      <EditorButtons
        saveTestId="note-save"
        saving={saver.saving}
        disabled={!text.trim()}
        onCancel={onDone}
      />
    </Form>
  );
}

/** Visits and notes, newest first. */
function Timeline({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  // The customer's own rating of a visit (满意度), given on the counter's customer screen.
  const ratings = new Map((customer.satisfaction ?? []).map((rating) => [rating.visitId, rating]));
  const entries = [
    ...customer.visits.map((visit) => {
      const rating = ratings.get(visit.id);
      return {
        id: visit.id,
        at: visit.at,
        author: visit.author,
        label: t(`visitKind.${visit.kind}`),
        text: visit.text ?? '',
        rating: rating
          ? t('counter.rating', {
              score: '★'.repeat(rating.score),
              reason: rating.reason ? t(`display.reason.${rating.reason}`) : '',
            })
          : undefined,
      };
    }),
    ...customer.notes.map((note) => ({
      id: note.id,
      at: note.at,
      author: note.author,
      label: t('visit.note'),
      text: note.text,
      rating: undefined,
    })),
  ].sort((a, b) => b.at.localeCompare(a.at));
  if (entries.length === 0)
    return <Typography.Text type="secondary">{t('customer.none')}</Typography.Text>;
  return (
    <ol className="timeline" data-testid="timeline">
      {entries.map((entry) => (
        <li key={entry.id}>
          <Typography.Text type="secondary">
            {formatDateTime(entry.at)} · {entry.author}
          </Typography.Text>{' '}
          <Tag>{entry.label}</Tag> {entry.text}
          {entry.rating && (
            <Tag color="gold" data-testid="visit-rating">
              {entry.rating}
            </Tag>
          )}
        </li>
      ))}
    </ol>
  );
}
