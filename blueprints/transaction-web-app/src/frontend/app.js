// The transaction form and the list of recent transactions, talking to the API on the same origin (/api/* goes to the
// load balancer through CloudFront). Text goes into the page with textContent only, never as HTML.
'use strict';

(function () {
  var form = document.getElementById('transaction-form');
  var status = document.getElementById('status');
  var recent = document.getElementById('recent');
  // One key per transaction the user means to record: kept across retries of the same form, so a retry after a lost
  // answer records nothing twice; a new key after a success.
  var idempotencyKey = crypto.randomUUID();

  function show(message, isError) {
    status.textContent = message;
    status.className = isError ? 'error' : '';
  }

  function cell(text, className) {
    var td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    return td;
  }

  function render(transactions) {
    var rows = transactions.map(function (t) {
      var tr = document.createElement('tr');
      tr.append(
        cell(new Date(t.createdAt).toLocaleString()),
        cell(t.amount + ' ' + t.currency, 'amount'),
        cell(t.reference),
        cell(t.id, 'id'),
      );
      return tr;
    });
    recent.replaceChildren.apply(recent, rows);
  }

  function refresh() {
    return fetch('/api/transactions?limit=20', { headers: { accept: 'application/json' } })
      .then(function (response) {
        if (!response.ok) throw new Error('listing failed with HTTP ' + response.status);
        return response.json();
      })
      .then(function (body) { render(body.transactions); })
      .catch(function (error) { show(error.message, true); });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var data = new FormData(form);
    var body = {
      amount: String(data.get('amount')).trim(),
      currency: String(data.get('currency')).trim().toUpperCase(),
      reference: String(data.get('reference')).trim(),
      idempotencyKey: idempotencyKey,
    };
    var button = form.querySelector('button');
    button.disabled = true;
    show('Recording…', false);
    return fetch('/api/transactions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    })
      .then(function (response) {
        return response.json().then(function (answer) {
          if (!response.ok) throw new Error((answer.details || [answer.error]).join('; '));
          idempotencyKey = crypto.randomUUID();
          form.reset();
          show('Recorded ' + answer.amount + ' ' + answer.currency + ' (' + answer.id + ').', false);
          return refresh();
        });
      })
      .catch(function (error) { show(error.message, true); })
      .finally(function () { button.disabled = false; });
  });

  refresh();
})();
