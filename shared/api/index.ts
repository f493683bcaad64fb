export * from './contract';
export * from './errors';
export * from './validate';
export * from './transport';
