import { memoryStore } from '../../lib';
import { storeContract } from './store.contract';

storeContract('memory', async () => ({ store: memoryStore() }));
