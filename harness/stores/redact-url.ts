/**
 * A URL as it may appear in logs and reports: user name and password replaced by `***`.
 * Credentials never appear in reports or logs (DESIGN.md).
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username !== '' || u.password !== '') {
      u.username = u.username === '' ? '' : '***';
      u.password = u.password === '' ? '' : '***';
    }
    return u.toString();
  } catch {
    return '<unparseable url>';
  }
}
