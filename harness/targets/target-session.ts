import { UsageError, isDomainName } from '../model/index.js';
import type { DomainName, Finding } from '../model/index.js';
import { checkAnswer } from './answer-shape.js';
import type { ExtractionRule } from '../spec/index.js';
import type { StartedTarget, StoppedTarget, TargetCapabilities, TargetOutcome } from './started-target.js';
import type { GenerateContext, TargetIdView, UserContext } from './target.js';
import { targetFailure } from './target-failure.js';
import type { TargetRequest } from './target-request.js';
import type { TargetTransport } from './target-transport.js';

/** The largest `count` one generate call may ask for. */
export const MAX_GENERATE_COUNT = 10_000_000;

/** What a session is built from once the target has started. */
export interface TargetSessionInit {
  readonly name: string;
  readonly capabilities: TargetCapabilities;
  readonly extractionRules: readonly ExtractionRule[];
  readonly transport: TargetTransport;
  readonly requestMs: number;
  readonly stopMs: number;
}

/**
 * The {@link StartedTarget} both adapters hand out: numbers requests, bounds each wait, checks
 * every answer's count and shape, and turns every fault into a `target-failure` finding.
 */
export class TargetSession implements StartedTarget {
  readonly name: string;
  readonly capabilities: TargetCapabilities;
  readonly extractionRules: readonly ExtractionRule[];
  readonly #init: TargetSessionInit;
  readonly #findings: Finding[] = [];
  #next = 1;
  #answered = 0;
  #dead: Finding | undefined;
  #stopped = false;

  constructor(init: TargetSessionInit) {
    this.name = init.name;
    this.capabilities = init.capabilities;
    this.extractionRules = init.extractionRules;
    this.#init = init;
  }

  generate(domain: DomainName, context: GenerateContext, count: number): Promise<TargetOutcome<readonly string[]>> {
    checkDomain('generate', domain);
    if (!Number.isInteger(count) || count < 1 || count > MAX_GENERATE_COUNT) {
      throw new UsageError('IDGATE_BAD_COUNT', `StartedTarget.generate: count ${count} is not an integer from 1 to ${MAX_GENERATE_COUNT}`, 'ask for at least one ID and split larger batches');
    }
    return this.#call({ call: 'generate', domain, context, count });
  }

  userContext(user: string, op: string): Promise<TargetOutcome<UserContext>> {
    return this.#call({ call: 'userContext', user, op });
  }

  validate(domain: DomainName, ids: readonly string[]): Promise<TargetOutcome<readonly boolean[]>> {
    this.#require('validate');
    checkDomain('validate', domain);
    return this.#call({ call: 'validate', domain, ids });
  }

  parse(domain: DomainName, ids: readonly string[]): Promise<TargetOutcome<readonly (TargetIdView | null)[]>> {
    this.#require('parse');
    checkDomain('parse', domain);
    return this.#call({ call: 'parse', domain, ids });
  }

  cleanupPatterns(user: string): Promise<TargetOutcome<readonly string[]>> {
    this.#require('cleanupPatterns');
    return this.#call({ call: 'cleanupPatterns', user });
  }

  async stop(): Promise<StoppedTarget> {
    if (!this.#stopped) {
      this.#stopped = true;
      const r = await this.#init.transport.stop(this.#init.stopMs);
      if (!r.ok) this.#findings.push(targetFailure({ target: this.name, rule: r.rule, what: r.what, ...(r.evidence ? { evidence: r.evidence } : {}) }));
    }
    return { name: this.name, findings: [...this.#findings], requests: this.#answered };
  }

  #require(call: keyof TargetCapabilities): void {
    if (!this.capabilities[call]) {
      throw new UsageError('IDGATE_TARGET_CAPABILITY', `StartedTarget.${call}: target ${JSON.stringify(this.name)} does not support ${call}`, `check target.capabilities.${call} before calling it`);
    }
  }

  async #call<T>(request: TargetRequest): Promise<TargetOutcome<T>> {
    const id = this.#next++;
    const fail = (finding: Finding): TargetOutcome<T> => {
      this.#findings.push(finding);
      return { ok: false, finding };
    };
    if (this.#stopped) {
      throw new UsageError('IDGATE_TARGET_STOPPED', `StartedTarget.${request.call}: target ${JSON.stringify(this.name)} was stopped`, 'start the target again before calling it');
    }
    if (this.#dead) {
      return fail(targetFailure({ target: this.name, rule: 'unavailable', request: { id, request }, what: `is unusable since an earlier failure (${this.#dead.message})` }));
    }
    const reply = await this.#init.transport.request(id, request, this.#init.requestMs);
    if (!reply.ok) {
      const finding = targetFailure({ target: this.name, rule: reply.rule, request: { id, request }, what: reply.what, ...(reply.evidence ? { evidence: reply.evidence } : {}) });
      if (reply.fatal) this.#dead = finding;
      return fail(finding);
    }
    const checked = checkAnswer(request, reply.value);
    if (!checked.ok) return fail(targetFailure({ target: this.name, rule: checked.rule, request: { id, request }, what: checked.what }));
    this.#answered++;
    return { ok: true, value: checked.value as T };
  }
}

function checkDomain(call: string, domain: DomainName): void {
  if (!isDomainName(domain)) {
    throw new UsageError('IDGATE_BAD_DOMAIN', `StartedTarget.${call}: ${JSON.stringify(domain)} is not a valid domain name`, 'use a snake_case domain name from the catalog');
  }
}
