// Vite's `?worker` imports (the renderer's tsconfig has no vite/client types).
declare module '*?worker' {
  const WorkerFactory: new (options?: { name?: string }) => Worker;
  export default WorkerFactory;
}
