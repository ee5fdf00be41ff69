"""The story wall: reading and searching stories, thanking them, and managers hiding them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import Access, access_for, capability_required
from portal.errors import ApplicationError
from portal.paging import back_to_list, page_of
from programs.stories.forms import HideStoryForm, WallFilterForm
from programs.stories.selectors import (
    as_stories,
    as_story,
    hidden_stories,
    story_for,
    story_to_moderate,
    wall,
)
from programs.stories.services import hide_story, show_story, thank_story, withdraw_thanks

can_moderate = capability_required(Access.can_moderate_stories)


@login_required
@require_GET
def wall_page(request: HttpRequest) -> HttpResponse:
    form = WallFilterForm(request.GET or None)
    access = access_for(request.user)
    filters = form.filters() if request.GET else {}
    page = page_of(request, wall(access, **filters))
    page.object_list = as_stories(page.object_list)
    return render(
        request,
        "stories/wall.html",
        {
            "form": form,
            "filtered": any(filters.values()),
            "page": page,
            "can_moderate": access.can_moderate_stories,
            "moderates_every_team": access.is_admin,
            "moderated_teams": access.managed_team_ids,
        },
    )


@login_required
@require_GET
def story_page(request: HttpRequest, pk: int) -> HttpResponse:
    story = story_for(request.user, pk)
    access = access_for(request.user)
    return render(
        request,
        "stories/story.html",
        {
            "story": as_story(wall(access).get(pk=story.pk)),
            "moderates_every_team": access.is_admin,
            "moderated_teams": access.managed_team_ids,
        },
    )


@login_required
@require_POST
def thank(request: HttpRequest, pk: int) -> HttpResponse:
    """Thank a story, or take the thanks back (``undo``); htmx swaps the story's thanks."""
    story = story_for(request.user, pk)
    try:
        if request.POST.get("undo"):
            withdraw_thanks(story=story, user=request.user)
        else:
            thank_story(story=story, user=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    if request.htmx:
        return render(
            request,
            "stories/partials/thanks.html",
            {"story": as_story(wall(access_for(request.user)).get(pk=story.pk))},
        )
    return redirect(back_to_list(request, reverse("stories:wall")))


@can_moderate
@require_http_methods(["GET", "POST"])
def hide(request: HttpRequest, pk: int) -> HttpResponse:
    story = story_to_moderate(request.user, pk)
    form = HideStoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            hide_story(story=story, actor=request.user, reason=form.cleaned_data["reason"])
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Taken off the wall. You can show it again from the list.")
            return redirect("stories:hidden")
    return render(request, "stories/hide.html", {"story": story, "form": form})


@can_moderate
@require_GET
def hidden(request: HttpRequest) -> HttpResponse:
    page = page_of(request, hidden_stories(access_for(request.user)))
    return render(request, "stories/hidden.html", {"page": page})


@can_moderate
@require_POST
def show(request: HttpRequest, pk: int) -> HttpResponse:
    story = story_to_moderate(request.user, pk)
    try:
        show_story(story=story, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Back on the wall.")
    return redirect(back_to_list(request, reverse("stories:hidden")))
