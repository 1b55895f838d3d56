import { invokeTool } from '@agentplane/contracts';
import { ApiError, type IRouter, registerRoute } from '@agentplane/http-kit';
import type { AgentRepo } from '../agents/agent-repo.js';
import { type Toolbox, ToolError } from '../tools/toolbox.js';

export interface ToolRouteDeps {
  toolbox: Toolbox;
  repo: Pick<AgentRepo, 'exists'>;
}

/** A tool's refusal as the API answers it: capability → 403, unknown → 404, input → 400, else 422. */
function toApiError(error: ToolError): ApiError {
  const details = {
    code: error.code,
    ...(error.details === undefined ? {} : { details: error.details }),
  };
  switch (error.code) {
    case 'PERMISSION_DENIED':
      return new ApiError({ code: 'CAPABILITY_DENIED', message: error.message, details });
    case 'NOT_FOUND':
      return new ApiError({ code: 'NOT_FOUND', message: error.message, details });
    case 'INVALID_INPUT':
      return new ApiError({ code: 'VALIDATION_ERROR', message: error.message, details });
    default:
      return new ApiError({ code: 'TOOL_FAILED', message: error.message, details });
  }
}

export function registerToolRoutes(router: IRouter, deps: ToolRouteDeps): void {
  registerRoute(router, invokeTool, async ({ body, signal }) => {
    const agent = await deps.repo.exists(body.agent_id);
    if (!agent) {
      throw new ApiError({ code: 'NOT_FOUND', message: `No agent ${body.agent_id}` });
    }
    const started = performance.now();
    try {
      const { output } = await deps.toolbox.invoke(
        {
          tool: body.tool,
          inputs: body.inputs,
          agent_id: body.agent_id,
          step_id: body.step_id ?? 'direct',
          capabilities: agent.capabilities,
        },
        signal,
      );
      return {
        status: 200,
        body: { tool: body.tool, output, duration_ms: performance.now() - started },
      };
    } catch (error) {
      throw error instanceof ToolError ? toApiError(error) : error;
    }
  });
}
