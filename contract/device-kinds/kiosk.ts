import { z } from 'zod';
import { RequestCategory, ResidentPhone } from '../request-categories.ts';
import { text } from '../text.ts';
import { command, defineKind, event, eventRule, metric, thresholdRule } from './builders.ts';

const kind = 'kiosk';

/** A resident's request (接诉即办) typed at the kiosk; the platform answers with the command request_receipt. */
export const KioskRequestSubmitted = z.strictObject({
  category: RequestCategory,
  description: z.string().trim().min(1).max(2000),
  contact_name: z.string().trim().min(1).max(50),
  contact_phone: ResidentPhone,
  unit: z.string().max(32).optional(),
  room: z.string().max(32).optional(),
  ticket: z.string().max(64).optional().describe("the kiosk's own id for the submission, echoed in the receipt"),
});

export default defineKind({
  kind,
  name: text('政务自助一体机', 'Self-service kiosk'),
  lifeSafety: false,
  reportingIntervalS: 60,
  metrics: {
    paper_pct: metric(text('纸张余量', 'Paper'), '%', z.number().min(0).max(100), [40, 100]),
    queue_len: metric(text('排队人数', 'Queue'), 'people', z.number().int().min(0).max(1000), [0, 4]),
    cpu_temp_c: metric(text('主机温度', 'CPU temperature'), '°C', z.number().min(-40).max(150), [38, 58]),
  },
  events: {
    fault: event(text('故障', 'Fault'), z.strictObject({ code: z.string().min(1).max(64), message: z.string().max(500).optional() })),
    service_completed: event(
      text('办件完成', 'Service completed'),
      z.strictObject({
        service: z.string().min(1).max(128),
        duration_s: z.number().nonnegative().max(86_400),
        rating: z.number().int().min(1).max(5).optional(),
      }),
    ),
    request_submitted: event(text('诉求提交', 'Request submitted'), KioskRequestSubmitted),
  },
  commands: {
    print_test: command(text('打印测试页', 'Print a test page')),
    request_receipt: command(
      text('诉求回执', 'Request receipt'),
      z.strictObject({ reference: z.string().max(32), check_code: z.string().max(32), deadline: z.string().max(40), ticket: z.string().max(64).optional() }),
    ),
  },
  rules: [
    eventRule(kind, 'fault', 'yellow', text('自助机故障', 'Kiosk fault'), 'service'),
    thresholdRule(kind, 'paper_pct', text('自助机缺纸', 'Kiosk paper low'), 'service', {
      direction: 'below',
      steps: [{ level: 'blue', value: 10 }],
      hysteresis: 10,
    }),
    thresholdRule(kind, 'cpu_temp_c', text('自助机过热', 'Kiosk overheating'), 'service', {
      direction: 'above',
      steps: [{ level: 'yellow', value: 85 }],
      forS: 60,
      hysteresis: 5,
    }),
  ],
});
