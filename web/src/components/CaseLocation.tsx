import './case.css';
import { Space, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useDepartmentName } from '../departments';
import { LOCATION_STAGES, type ApplicationLocation, type LocationStage } from '../types';

const STAGE_COLORS: Record<LocationStage, string> = {
  front_desk: 'blue',
  review: 'geekblue',
  decision: 'purple',
  delivery: 'cyan',
  closed: 'default',
};

/** The stage's name: 综合窗口受理, 后台审查, 待作出决定, 待送达出件, 已办结. */
export function useStageName() {
  const { t } = useTranslation();
  return (s: string) => ((LOCATION_STAGES as readonly string[]).includes(s) ? t(`location.stage.${s as LocationStage}`) : s);
}

/**
 * Where a case is: the department whose queue holds it and, in the back office, the review step
 * (第 1/2 步 · 审查), joint review and round. `compact` for table cells.
 */
export function CaseLocation({ location, compact = false }: { location: ApplicationLocation | null | undefined; compact?: boolean }) {
  const { t } = useTranslation();
  const departmentName = useDepartmentName();
  const stageName = useStageName();
  if (!location) return <span>—</span>;
  const step = location.step;
  const joint = step?.joint?.length ? step.joint : null;
  // a joint step sits with all its departments at once (联审联批), not with the lead alone
  const dept = joint ? null : location.departmentCode ? departmentName(location.departmentCode) : null;
  const jointTag = joint ? (
    <Tooltip title={joint.map((d) => departmentName(d)).join('、')}>
      <Tag color="purple" className="ow-tag-wrap" data-testid="location-joint" style={{ marginInlineStart: 6 }}>
        {t('location.jointDepartments', { count: joint.length })}
      </Tag>
    </Tooltip>
  ) : null;
  const stage = (
    <Tag color={STAGE_COLORS[location.stage] ?? 'default'} className="ow-tag-wrap" data-testid="location-stage" data-stage={location.stage} style={{ marginInlineEnd: 0 }}>
      {stageName(location.stage)}
    </Tag>
  );
  if (compact) {
    return (
      <span data-testid="case-location" className="ow-location-compact">
        {stage}
        {location.stage !== 'closed' && dept && <div className="ow-location-dept">{dept}</div>}
        {step && (
          <Typography.Text type="secondary" style={{ fontSize: 13, display: 'block' }}>
            {t('location.step', { index: step.index + 1, of: step.of, name: step.name })}
            {step.round > 1 ? ` · ${t('location.round', { round: step.round })}` : ''}
          </Typography.Text>
        )}
        {joint && (
          <div>{jointTag}</div>
        )}
      </span>
    );
  }
  return (
    <Space wrap size={[6, 4]} data-testid="case-location">
      {stage}
      {location.stage !== 'closed' && dept && <span data-testid="location-department">{dept}</span>}
      {step && (
        <span>
          {t('location.step', { index: step.index + 1, of: step.of, name: step.name })}
          {jointTag}
          {step.round > 1 && <Tag color="orange">{t('location.round', { round: step.round })}</Tag>}
        </span>
      )}
    </Space>
  );
}
