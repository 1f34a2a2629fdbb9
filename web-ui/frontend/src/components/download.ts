import { rawRequest } from '../api';

interface SaveFilePicker {
  showSaveFilePicker?: (options: { suggestedName: string }) => Promise<{ createWritable(): Promise<WritableStream> }>;
}

/**
 * Downloads with the user's credentials (a plain link cannot send them). Where the browser can write to a file
 * chosen by the user the body is streamed there; elsewhere it is collected into a Blob first.
 */
export async function download(path: string, fileName: string): Promise<void> {
  const picker = (window as unknown as SaveFilePicker).showSaveFilePicker;
  if (picker) {
    let handle;
    try {
      handle = await picker({ suggestedName: fileName });
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') return;
      handle = null;
    }
    if (handle) {
      const response = await rawRequest(path);
      await response.body!.pipeTo(await handle.createWritable());
      return;
    }
  }
  const response = await rawRequest(path);
  const blob = await response.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
