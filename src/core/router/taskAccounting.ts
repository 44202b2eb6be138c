// What a task spent and what it would have cost all on Claude. The baseline counts the tokens Claude would have
// seen (the whole task fitted to Claude's window), never the local model's tokens: an escalation costs more than
// going to Claude directly, and that extra shows as a loss, not a saving.
import { estimateConversationTokens, estimateTurnTokens } from './budget';
import type { Conversation, Turn } from './conversation';
import { costUsd as priceUsage, type Pricing } from './pricing';
import type { LlmProvider, Usage } from './provider';

export interface TaskSpend {
  localTokensIn: number;
  localTokensOut: number;
  cloudTokensIn: number;
  cloudTokensOut: number;
  /** What was paid (cloud calls only). */
  costUsd: number;
  /** What the task would have cost had it gone to Claude directly. */
  cloudCostUsd: number;
  /** costUsd − cloudCostUsd for an escalated task: the price of trying locally first. */
  extraCostUsd?: number;
}

export class TaskTally {
  readonly local = { in: 0, out: 0, calls: 0, firstIn: 0 };
  readonly cloud = { in: 0, out: 0, calls: 0 };
  cost = 0;
  /** Tokens Claude saw only because of an escalation (the local draft, its tool rounds, the "try again" turn). */
  escalationTokens = 0;

  constructor(
    private readonly table: Pricing,
    readonly baselineModel: string,
  ) {}

  add(provider: LlmProvider, u: Usage): void {
    if (provider.id === 'anthropic') {
      this.cloud.in += u.inputTokens;
      this.cloud.out += u.outputTokens;
      this.cloud.calls++;
      this.cost += priceUsage(provider.model, u, this.table);
    } else {
      if (this.local.calls === 0) this.local.firstIn = u.inputTokens;
      this.local.in += u.inputTokens;
      this.local.out += u.outputTokens;
      this.local.calls++;
    }
  }

  /** Marks the turns an escalation added on top of the task as Claude would have seen it directly. */
  escalatedWith(turns: readonly Turn[]): void {
    this.escalationTokens = turns.reduce((n, t) => n + estimateTurnTokens(t), 0);
  }

  /**
   * `claudeTask` is the task's first request as it would have gone to Claude (context fitted to Claude's window).
   * Answered by Claude: its own usage, less what only the escalation added. Answered locally: that request, plus
   * the tool rounds the local model needed, with the local answer's length as the output.
   */
  spend(claudeTask: Conversation | undefined, escalated: boolean): TaskSpend {
    let baseline: number;
    if (this.cloud.calls > 0) {
      const input = Math.max(0, this.cloud.in - (escalated ? this.escalationTokens * this.cloud.calls : 0));
      baseline = priceUsage(this.baselineModel, { inputTokens: input, outputTokens: this.cloud.out }, this.table);
    } else if (this.local.calls > 0) {
      const request = claudeTask ? estimateConversationTokens(claudeTask) : this.local.firstIn;
      const toolRounds = this.local.in - this.local.firstIn;
      baseline = priceUsage(this.baselineModel, { inputTokens: request + toolRounds, outputTokens: this.local.out }, this.table);
    } else baseline = 0;
    const cost = round6(this.cost);
    const cloudCostUsd = round6(baseline);
    return {
      localTokensIn: this.local.in,
      localTokensOut: this.local.out,
      cloudTokensIn: this.cloud.in,
      cloudTokensOut: this.cloud.out,
      costUsd: cost,
      cloudCostUsd,
      ...(escalated ? { extraCostUsd: round6(Math.max(0, cost - cloudCostUsd)) } : {}),
    };
  }
}

const round6 = (n: number): number => Math.round(n * 1e6) / 1e6;
