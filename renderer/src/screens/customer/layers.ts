// Esc closes the topmost layer only: a dialog (the reveal's reason), then an open list or an
// editor, then the customer. antd's dialogs, drawers and pop-ups close on Esc through their own
// listener on the window, which may run after the desk's; so the desk's "back" asks first whether
// the key belongs to a layer above the page, and leaves it to that layer if it does.

const layerSelector =
  '[aria-modal="true"], [role="dialog"], [role="listbox"], .ant-picker-dropdown';

function showing(element: Element): boolean {
  return element.getClientRects().length > 0;
}

/** True when this Esc is for a layer above the page (or something already handled it). */
export function escapeBelongsToLayer(event: KeyboardEvent): boolean {
  if (event.defaultPrevented) return true;
  const target = event.target instanceof Element ? event.target : null;
  if (target?.closest(layerSelector)) return true;
  // A select or picker whose list is open: Esc closes the list.
  if (target?.closest('[aria-expanded="true"]')) return true;
  return [...document.querySelectorAll('[aria-modal="true"]')].some(showing);
}
