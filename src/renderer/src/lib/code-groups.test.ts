import { describe, expect, it } from 'vitest'
import type { Code, GroupKind } from '../../../shared/domain/code'
import type { CodeId } from '../../../shared/domain/ids'
import { codeSections, isGroup } from './code-groups'

function code(id: string, parentId: string | null, groupKind: GroupKind | null = null): Code {
  return {
    id: id as CodeId,
    name: id,
    color: '#000000',
    description: '',
    parentId: parentId as CodeId | null,
    sortOrder: 0,
    shortcut: null,
    groupKind,
    dictionary: [],
    createdAt: '',
    updatedAt: ''
  }
}

describe('codeSections', () => {
  it('puts each code under the group at the top of its branch, ungrouped codes last', () => {
    const codes = [
      code('loose', null),
      code('stances', null, 'stance'),
      code('us', 'stances'),
      code('us-sub', 'us'),
      code('issues', null, 'issue'),
      code('nato', 'issues'),
      code('loose-sub', 'loose')
    ]
    const sections = codeSections(codes)
    expect(sections.map((s) => [s.group?.id ?? null, s.codes.map((c) => c.id)])).toEqual([
      ['stances', ['us', 'us-sub']],
      ['issues', ['nato']],
      [null, ['loose', 'loose-sub']]
    ])
  })

  it('shows empty groups and leaves out an empty ungrouped section', () => {
    expect(codeSections([code('g', null, 'other')])).toEqual([{ group: expect.objectContaining({ id: 'g' }), codes: [] }])
    expect(isGroup(code('g', null, 'other'))).toBe(true)
    expect(isGroup(code('c', null))).toBe(false)
  })
})
