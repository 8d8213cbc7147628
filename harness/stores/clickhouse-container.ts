import { Wait } from 'testcontainers';
import { CLICKHOUSE_DIRS, clickhouseConfigXml } from './clickhouse-config.js';
import type { ContainerStoreRecipe } from './container-store.js';
import type { LocalImageRecipe } from './local-image.js';
import { LoopbackGenericContainer } from './loopback-containers.js';

const HTTP_PORT = 8123;
const TCP_PORT = 9000;
const DATA_DIR = '/var/lib/clickhouse';
const CONFIG = '/etc/clickhouse-server/config.xml';

/**
 * `localhost/idgate-clickhouse:<Debian version>`: Debian's clickhouse-server, its libraries, the
 * UTC zone, and the same config.xml the local provider writes ({@link clickhouseConfigXml}),
 * listening on 0.0.0.0 inside the container and logging to the console. The `default` user may
 * connect from any address inside the container network; the host publishes the port on
 * 127.0.0.1 only.
 */
export const clickhouseImageRecipe: LocalImageRecipe = {
  binary: 'clickhouse-server',
  debianPackage: 'clickhouse-server',
  repository: 'localhost/idgate-clickhouse',
  binaryTarget: '/usr/bin/clickhouse-server',
  hostFiles: ['/usr/share/zoneinfo/UTC', '/usr/share/zoneinfo/Etc/UTC', '/etc/localtime'],
  files: {
    [CONFIG]: clickhouseConfigXml({ dir: DATA_DIR, listenHost: '0.0.0.0', httpPort: HTTP_PORT, tcpPort: TCP_PORT, networks: ['::/0'], logTo: 'console' }),
  },
  dirs: CLICKHOUSE_DIRS.map((d) => `${DATA_DIR}/${d}`),
  // No EXPOSE: podman lists every exposed port in PortBindings (unbound), and testcontainers then
  // waits for all of them to be bound; only the HTTP port is published.
  changes: ['ENV PATH=/usr/bin:/bin TZ=UTC', `WORKDIR ${DATA_DIR}`, `CMD ["/usr/bin/clickhouse-server", "--config-file=${CONFIG}"]`],
};

/**
 * ClickHouse in a GenericContainer (the ClickHouse module creates users through environment
 * variables only the official image reads): the official image (default with a Docker engine,
 * `clickhouse/clickhouse-server:24.8`, its stock passwordless `default` user) or idgate's
 * {@link clickhouseImageRecipe} build. Ready when HTTP `/ping` answers.
 */
export const clickhouseContainerRecipe: ContainerStoreRecipe = {
  name: 'clickhouse',
  imageVariable: 'IDGATE_CLICKHOUSE_IMAGE',
  officialImage: 'clickhouse/clickhouse-server:24.8',
  localImage: clickhouseImageRecipe,
  port: HTTP_PORT,
  container: (image, local) => {
    const container = new LoopbackGenericContainer(image).withExposedPorts(HTTP_PORT).withWaitStrategy(Wait.forHttp('/ping', HTTP_PORT).forStatusCode(200));
    // The official entrypoint restricts a passwordless default user unless told to skip its setup.
    return local ? container : container.withEnvironment({ CLICKHOUSE_SKIP_USER_SETUP: '1' });
  },
  url: (port) => `http://127.0.0.1:${port}`,
};
