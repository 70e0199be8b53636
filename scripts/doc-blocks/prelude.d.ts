// The free names a ```ts block of README.md or docs/**/*.md may use without declaring them, the same in every
// block (the convention of the redesign's API plan). A block imports everything else it uses from the
// package's entries; `npm run check:docs` compiles each block as its own module with this file beside it.
declare const app: import('express').Express;
declare const auth: import('keyturn').AuthorizationServer;
declare const clients: import('keyturn').Client[];
declare const store: import('keyturn').Store;
declare const redis: import('ioredis').Redis;
declare const issuer: string;
declare const listAccounts: import('express').RequestHandler;
