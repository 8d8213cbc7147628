import { RedisContainer, type StartedRedisContainer } from '@testcontainers/redis';
import { GenericContainer, type StartedTestContainer } from 'testcontainers';

type PortBindings = Record<string, { HostIp?: string; HostPort?: string }[]>;

/*
 * testcontainers publishes exposed ports on every host address (HostIp ""), which would put a
 * passwordless store on the machine's network. idgate publishes on 127.0.0.1 only: all traffic
 * to its containers stays on loopback (with TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1).
 */
function publishOnLoopback(bindings: PortBindings | undefined): void {
  for (const [port, list] of Object.entries(bindings ?? {})) {
    bindings![port] = list.map((b) => ({ HostIp: '127.0.0.1', HostPort: b.HostPort ?? '0' }));
  }
}

/** testcontainers' {@link GenericContainer}, with its exposed ports published on 127.0.0.1 only. */
export class LoopbackGenericContainer extends GenericContainer {
  override async start(): Promise<StartedTestContainer> {
    publishOnLoopback(this.hostConfig.PortBindings as PortBindings | undefined);
    return super.start();
  }
}

/** testcontainers' Redis module container, with its port published on 127.0.0.1 only. */
export class LoopbackRedisContainer extends RedisContainer {
  override async start(): Promise<StartedRedisContainer> {
    publishOnLoopback(this.hostConfig.PortBindings as PortBindings | undefined);
    return super.start();
  }
}
