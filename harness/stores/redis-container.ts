import { LoopbackRedisContainer } from './loopback-containers.js';
import type { ContainerStoreRecipe } from './container-store.js';
import type { LocalImageRecipe } from './local-image.js';

const REDIS_PORT = 6379;
const REDIS_ARGS = ['--save', '', '--appendonly', 'no', '--databases', '1'];

/**
 * `localhost/idgate-redis:<Debian version>`: Debian's redis-server and its libraries, nothing
 * else. Protected mode is off inside the container because clients arrive through the port
 * published on the host's 127.0.0.1, which is where the boundary is.
 */
export const redisImageRecipe: LocalImageRecipe = {
  binary: 'redis-server',
  debianPackage: 'redis-server',
  repository: 'localhost/idgate-redis',
  binaryTarget: '/usr/bin/redis-server',
  dirs: ['/data'],
  changes: ['ENV PATH=/usr/bin:/bin', 'WORKDIR /data', `EXPOSE ${REDIS_PORT}`, 'CMD ["/usr/bin/redis-server"]'],
};

/**
 * Redis in a container through testcontainers' Redis module: the official image (default with a
 * Docker engine, `redis:7.0`) or idgate's {@link redisImageRecipe} build; no persistence.
 */
export const redisContainerRecipe: ContainerStoreRecipe = {
  name: 'redis',
  imageVariable: 'IDGATE_REDIS_IMAGE',
  officialImage: 'redis:7.0',
  localImage: redisImageRecipe,
  port: REDIS_PORT,
  container: (image, local) =>
    new LoopbackRedisContainer(image).withCommand(
      local ? ['/usr/bin/redis-server', '--bind', '0.0.0.0', '--protected-mode', 'no', '--dir', '/data', ...REDIS_ARGS] : ['redis-server', ...REDIS_ARGS],
    ),
  url: (port) => `redis://127.0.0.1:${port}`,
};
