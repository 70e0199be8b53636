'use strict';
// Preloaded (NODE_OPTIONS=--require) when the suite runs on Express 4: a process the specs start, such as the
// demo, resolves `express` to this folder's Express 4, as jest's moduleNameMapper does inside the tests.
const Module = require('node:module');
const path = require('node:path');

const express4 = path.join(__dirname, 'node_modules', 'express');
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveExpress4(request, ...rest) {
  return resolveFilename.call(this, request === 'express' ? express4 : request, ...rest);
};
