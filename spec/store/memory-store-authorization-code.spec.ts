import { MemoryStore } from '../../lib/store/memory-store';
import { authorizationCodeStoreContract } from './authorization-code-store.contract';

authorizationCodeStoreContract('MemoryStore', () => new MemoryStore());
