export * as dataSource from './data-source';
export * as folder from './folder';
export * as dashboard from './dashboard';
export * as provider from './provider';
