// QBO error bodies, as ledger-apis.md §1.9–1.10 shows them. Handlers throw QboError; the server
// turns it into the status and body below.

export type FaultType = 'ValidationFault' | 'SystemFault' | 'AuthenticationFault' | 'AuthorizationFault' | 'SERVICE';

export interface FaultError {
  Message: string;
  Detail?: string;
  code: string;
  element?: string;
}

/** A `{"Fault":{…}}` answer (the `time` field is added by the server). */
export class QboError extends Error {
  constructor(
    readonly status: number,
    readonly type: FaultType,
    readonly error: FaultError,
  ) {
    super(`${error.code} ${error.Message}${error.Detail ? `: ${error.Detail}` : ''}`);
  }

  body(): { Fault: { Error: FaultError[]; type: FaultType } } {
    return { Fault: { Error: [this.error], type: this.type } };
  }
}

export const faults = {
  /** 400 5010: a write carried a SyncToken that is not the current one. */
  stale(): QboError {
    return new QboError(400, 'ValidationFault', {
      Message: 'Stale Object Error',
      Detail:
        'Stale Object Error : You and Emulator User were working on this at the same time. Emulator User finished before you did, so your work was not saved.',
      code: '5010',
      element: '',
    });
  },
  /** 400 610: the object does not exist (or was deleted). */
  notFound(entity: string, id: string): QboError {
    return new QboError(400, 'ValidationFault', {
      Message: 'Object Not Found',
      Detail: `Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees. (${entity} Id ${id})`,
      code: '610',
      element: '',
    });
  },
  /** 400 2500: a reference names an object that does not exist. */
  invalidRef(what: string, id: string): QboError {
    return new QboError(400, 'ValidationFault', {
      Message: 'Invalid Reference Id',
      Detail: `Invalid Reference Id : ${what} assigned to this transaction has been deleted. Before you can modify this transaction, you must restore ${what} (Id ${id}).`,
      code: '2500',
      element: '',
    });
  },
  /** 400 2020: a required field or parameter is missing. */
  missing(name: string): QboError {
    return new QboError(400, 'ValidationFault', {
      Message: 'Required param missing, need to supply the required value for the API',
      Detail: `Required parameter ${name} is missing in the request`,
      code: '2020',
      element: name,
    });
  },
  /** 400 2010: a parameter or property has a bad value. */
  invalid(detail: string, element = ''): QboError {
    return new QboError(400, 'ValidationFault', {
      Message: 'Request has invalid or unsupported property',
      Detail: detail,
      code: '2010',
      element,
    });
  },
  /** 400 2050: a string is longer than the field allows. */
  tooLong(field: string, max: number): QboError {
    return new QboError(400, 'ValidationFault', {
      Message: 'String length is either shorter or longer than supported by specification',
      Detail: `String length specified does not match the supported length. Min:0 Max:${max} supported. Supplied length:${max + 1}`,
      code: '2050',
      element: field,
    });
  },
  /** 400 6000: a business rule refused the change. */
  business(detail: string): QboError {
    return new QboError(400, 'ValidationFault', { Message: 'A business validation error has occurred while processing your request', Detail: detail, code: '6000', element: '' });
  },
  /** 400 6240: the DisplayName is taken. */
  duplicateName(name: string): QboError {
    return new QboError(400, 'ValidationFault', {
      Message: 'Duplicate Name Exists Error',
      Detail: `The name supplied already exists. : ${name}`,
      code: '6240',
      element: '',
    });
  },
  /** 400 4000: the query does not parse. */
  queryParse(detail: string): QboError {
    return new QboError(400, 'ValidationFault', { Message: 'Error parsing query', Detail: `QueryParserError: ${detail}`, code: '4000' });
  },
  /** 400 4001: the query parses but names something not queryable. */
  queryValidation(detail: string): QboError {
    return new QboError(400, 'ValidationFault', { Message: 'Invalid query', Detail: `QueryValidationError: ${detail}`, code: '4001' });
  },
  /** 400 500-style: no such operation. */
  unsupported(method: string, path: string): QboError {
    return new QboError(400, 'ValidationFault', {
      Message: 'Unsupported Operation',
      Detail: `Operation ${method} ${path} is not supported.`,
      code: '500',
    });
  },
  /** 500 10000: the injected server error. */
  system(): QboError {
    return new QboError(500, 'SystemFault', {
      Message: 'An application error has occurred while processing your request',
      Detail: 'System Failure Error: An unexpected error occurred while accessing or saving your data. Please wait a few minutes and try again.',
      code: '10000',
    });
  },
  /** 503 10000: the injected outage. */
  unavailable(): QboError {
    return new QboError(503, 'SystemFault', {
      Message: 'An application error has occurred while processing your request',
      Detail: 'System Failure Error: Service Unavailable',
      code: '10000',
    });
  },
  /** 429 3001 (ledger-apis.md §1.9; the `type` value is undocumented and varies). */
  throttle(): QboError {
    return new QboError(429, 'SERVICE', { Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429', code: '3001' });
  },
};

/**
 * The 401/403 body with lowercase keys and null envelope fields (ledger-apis.md §1.10): 3200
 * AuthenticationFailed (type AUTHENTICATION) or 3100 ApplicationAuthorizationFailed (SERVICE).
 */
export function lowercaseAuthFault(kind: 'expired' | 'invalid' | 'forbidden', detail: string, nowMs: number): Record<string, unknown> {
  const error =
    kind === 'forbidden'
      ? { message: 'message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403', detail, code: '3100', element: null }
      : { message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401', detail, code: '3200', element: null };
  return {
    warnings: null,
    intuitObject: null,
    fault: { error: [error], type: kind === 'forbidden' ? 'SERVICE' : 'AUTHENTICATION' },
    report: null,
    queryResponse: null,
    batchItemResponse: [],
    attachableResponse: [],
    syncErrorResponse: null,
    requestId: null,
    time: nowMs,
    status: null,
    cdcresponse: [],
  };
}
