import { missingStoreMembers } from '../../store/store-members';
import type { ContractArea } from '../contract-case';

export const members: ContractArea = {
  title: 'the interface',
  cases: [
    {
      name: 'implements every Store member (none is optional)',
      async run({ store, expect }) {
        expect(missingStoreMembers(store)).toEqual([]);
      },
    },
  ],
};
