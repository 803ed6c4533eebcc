/** How the contact list is ordered and filtered, remembered per account. */
export interface ListOptions {
  /** By name (in groups), by availability (in groups), or "Recent": latest conversations first, then everyone by name. */
  sort: 'name' | 'availability' | 'recent';
  hideOffline: boolean;
  /** One line per contact (the default), or two with more room ("comfortable"). */
  density: 'compact' | 'comfortable';
  /** The last message's first line under the name (issue 10; on by default). */
  showPreview: boolean;
}

export const DEFAULT_LIST_OPTIONS: ListOptions = {
  sort: 'name',
  hideOffline: false,
  density: 'compact',
  showPreview: true,
};

const key = (account: string): string => `balcony:list-options:${account}`;

const SORTS: readonly ListOptions['sort'][] = ['name', 'availability', 'recent'];

export function loadListOptions(account: string): ListOptions {
  try {
    const stored = JSON.parse(localStorage.getItem(key(account)) ?? 'null') as Partial<ListOptions> | null;
    return {
      sort: SORTS.find((sort) => sort === stored?.sort) ?? 'name',
      hideOffline: stored?.hideOffline === true,
      density: stored?.density === 'comfortable' ? 'comfortable' : 'compact',
      showPreview: stored?.showPreview !== false,
    };
  } catch {
    return { ...DEFAULT_LIST_OPTIONS };
  }
}

export function saveListOptions(account: string, options: ListOptions): void {
  try {
    localStorage.setItem(key(account), JSON.stringify(options));
  } catch {
    // Storage full or unavailable: the choice lasts this session only.
  }
}
