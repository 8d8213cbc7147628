import type { ContainerRuntimeClient } from 'testcontainers';

/** A container as the engine lists it. */
export interface DockerContainerSummary {
  readonly Id: string;
  readonly State: string;
  readonly Labels: Readonly<Record<string, string>>;
}

/** An image as the engine describes it. */
export interface DockerImageInspect {
  readonly Id: string;
  readonly Size: number;
  readonly Config?: { readonly Labels?: Readonly<Record<string, string>> | null } | null;
}

/**
 * The few Docker API calls idgate makes beside testcontainers (list and remove labelled
 * containers, kill one, inspect, import and remove images), typed here because dockerode's own types
 * reach this project as `any` (they need esModuleInterop, which the project does not use).
 */
export interface DockerApi {
  listContainers(options: { all: boolean; filters: { label: string[] } }): Promise<DockerContainerSummary[]>;
  getContainer(id: string): {
    remove(options: { force: boolean; v: boolean }): Promise<unknown>;
    kill(options?: { signal?: string }): Promise<unknown>;
  };
  listImages(options: { filters: { dangling?: string[]; label?: string[] } }): Promise<{ readonly Id: string }[]>;
  getImage(name: string): { inspect(): Promise<DockerImageInspect>; remove(): Promise<unknown> };
  importImage(tar: NodeJS.ReadableStream, options: { repo: string; changes: string[] }): Promise<NodeJS.ReadableStream>;
}

/** The dockerode instance testcontainers uses, seen through {@link DockerApi}. */
export function dockerApi(client: ContainerRuntimeClient): DockerApi {
  return client.container.dockerode as DockerApi;
}
