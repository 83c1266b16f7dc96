/** Saves a file the API answered (the indicators' CSV) under its name, as a browser download. */
import type { Download } from '../api/client.ts';

export function saveFile(file: Download, fallbackName: string, doc: Document = document): string {
  const name = file.filename ?? fallbackName;
  const url = URL.createObjectURL(file.blob);
  const link = doc.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  doc.body.append(link);
  link.click();
  link.remove();
  // Revoked on the next turn: the browser has taken the file by then.
  setTimeout(() => URL.revokeObjectURL(url), 0);
  return name;
}
