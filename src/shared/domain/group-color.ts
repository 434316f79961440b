/** The neutral colour groups are drawn in; groups carry no passages, so it never marks text. */
export const GROUP_COLOR = '#6b7280'
