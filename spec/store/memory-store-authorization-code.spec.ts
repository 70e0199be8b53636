import { MemoryStore } from '../../lib';
import { authorizationCodeStoreContract } from './authorization-code-store.contract';

authorizationCodeStoreContract('MemoryStore', () => new MemoryStore());
