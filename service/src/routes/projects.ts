// /api/projects: create, list, get, update, delete.
import type { FastifyInstance } from "fastify";
import type { ProjectInput, ProjectRepository } from "../db/projects";
import { errorBody } from "../http/errors";
import {
  createProjectBody,
  errorResponse,
  listQuery,
  project,
  projectList,
  projectParams,
  updateProjectBody,
} from "./schemas";

interface IdParams {
  id: string;
}

const notFound = (id: string) => errorBody(404, `project ${id} not found`);

export function registerProjectRoutes(app: FastifyInstance, projects: ProjectRepository): void {
  app.post<{ Body: ProjectInput }>(
    "/api/projects",
    { schema: { body: createProjectBody, response: { 201: project } } },
    async (request, reply) => {
      const created = await projects.create(request.body);
      return reply.code(201).header("location", `/api/projects/${created.id}`).send(created);
    },
  );

  app.get<{ Querystring: { limit: number; offset: number } }>(
    "/api/projects",
    { schema: { querystring: listQuery, response: { 200: projectList } } },
    async (request) => {
      const { limit, offset } = request.query;
      return { items: await projects.list(limit, offset), limit, offset };
    },
  );

  app.get<{ Params: IdParams }>(
    "/api/projects/:id",
    { schema: { params: projectParams, response: { 200: project, 404: errorResponse } } },
    async (request, reply) => {
      const found = await projects.get(request.params.id);
      return found ?? reply.code(404).send(notFound(request.params.id));
    },
  );

  app.patch<{ Params: IdParams; Body: Partial<ProjectInput> }>(
    "/api/projects/:id",
    {
      schema: {
        params: projectParams,
        body: updateProjectBody,
        response: { 200: project, 404: errorResponse },
      },
    },
    async (request, reply) => {
      const updated = await projects.update(request.params.id, request.body);
      return updated ?? reply.code(404).send(notFound(request.params.id));
    },
  );

  app.delete<{ Params: IdParams }>(
    "/api/projects/:id",
    { schema: { params: projectParams, response: { 404: errorResponse } } },
    async (request, reply) => {
      const deleted = await projects.delete(request.params.id);
      return deleted ? reply.code(204).send() : reply.code(404).send(notFound(request.params.id));
    },
  );
}
