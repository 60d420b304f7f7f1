/** A configuration file rendered from typed objects, ready to be uploaded into a container. */
export interface RenderedFile {
  /** Path relative to the component's configuration directory, e.g. `rules/api.yml`. */
  path: string;
  content: string;
}
