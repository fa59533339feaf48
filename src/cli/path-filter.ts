import picomatch from 'picomatch';

/** Config `paths.include`/`paths.exclude` as one test on a path relative to the working directory. */
export function pathFilter(include: readonly string[], exclude: readonly string[]): (path: string) => boolean {
  const options = { dot: true };
  const included = picomatch([...include], options);
  const excluded = exclude.length === 0 ? () => false : picomatch([...exclude], options);
  return (path) => {
    const normalised = path.split('\\').join('/');
    return included(normalised) && !excluded(normalised);
  };
}
