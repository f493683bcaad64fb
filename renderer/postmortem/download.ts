// Save text as a file from the renderer: a Blob and a temporary <a download> (works in the web host
// and in Electron, which asks where to save), nothing leaves the machine.
export function downloadText(fileName: string, text: string, type = 'text/plain;charset=utf-8') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Let the download start before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The file name part of a path ("postmortems/INC-0001-x.md" → "INC-0001-x.md"). */
export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}
