/** How the contact list is ordered and filtered, remembered per account. */
export interface ListOptions {
  sort: 'name' | 'availability';
  hideOffline: boolean;
  /** One line per contact (the default), or two with more room ("comfortable"). */
  density: 'compact' | 'comfortable';
}

export const DEFAULT_LIST_OPTIONS: ListOptions = { sort: 'name', hideOffline: false, density: 'compact' };

const key = (account: string): string => `balcony:list-options:${account}`;

export function loadListOptions(account: string): ListOptions {
  try {
    const stored = JSON.parse(localStorage.getItem(key(account)) ?? 'null') as Partial<ListOptions> | null;
    return {
      sort: stored?.sort === 'availability' ? 'availability' : 'name',
      hideOffline: stored?.hideOffline === true,
      density: stored?.density === 'comfortable' ? 'comfortable' : 'compact',
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
