export * from '../abi.js';
